/** Where the issuer sends the browser back: finish the sign-in, then go to the page the person wanted. */
import { useEffect, useRef, useState } from 'react';
import { useNavigate } from 'react-router';
import { completeSignIn } from '../auth/session';
import { ProblemMessage } from '../components/ui';

export function SignedInPage() {
  const navigate = useNavigate();
  const [error, setError] = useState<unknown>();
  const started = useRef(false);
  useEffect(() => {
    if (started.current) return;
    started.current = true;
    completeSignIn().then(
      (returnTo) => navigate(returnTo, { replace: true }),
      (err: unknown) => setError(err),
    );
  }, [navigate]);
  return (
    <main id="main" className="page">
      <h1>{error ? 'Sign-in did not finish' : 'Finishing sign-in…'}</h1>
      <ProblemMessage error={error} label="The identity provider's answer could not be used" />
      {error ? (
        <p>
          <a href="/">Start again</a>
        </p>
      ) : null}
    </main>
  );
}
