/** For data holders: the permits that expect data from them, and where each delivery stands. */
import { Link } from 'react-router';
import type { Permit } from '../api/types';
import { Loading, ProblemMessage, StatusBadge } from '../components/ui';
import { useLiveEvents } from '../events';
import { when } from '../format';
import { useApi } from '../use-api';

const WAITING = ['DATA_INGRESS_PENDING', 'DATA_INGRESS_IN_PROGRESS', 'DATA_INGRESS_BLOCKED'];

function stateOf(status: string): string {
  if (status === 'DATA_INGRESS_PENDING') return 'Waiting for your upload';
  if (status === 'DATA_INGRESS_IN_PROGRESS') return 'Received, being checked';
  if (status === 'DATA_INGRESS_BLOCKED') return 'Blocked: see the permit for what to fix';
  return 'Delivered';
}

export function DeliveriesPage() {
  const list = useApi<{ items: Permit[] }>('/permits?limit=200');
  useLiveEvents(() => list.reload(), (e) => e.name.startsWith('permit.'));
  const items = list.data?.items ?? [];
  const open = items.filter((p) => WAITING.includes(p.status));
  const done = items.filter((p) => !WAITING.includes(p.status));
  return (
    <>
      <h1>Data deliveries</h1>
      {list.loading && !list.data ? <Loading what="deliveries" /> : null}
      <ProblemMessage error={list.error} />
      <h2>Expected from you</h2>
      {open.length === 0 ? <p>No delivery is waiting for you.</p> : <DeliveryTable permits={open} />}
      <h2>Earlier deliveries</h2>
      {done.length === 0 ? <p className="muted">None.</p> : <DeliveryTable permits={done} />}
    </>
  );
}

function DeliveryTable({ permits }: { permits: Permit[] }) {
  return (
    <table>
      <thead>
        <tr>
          <th scope="col">Permit</th>
          <th scope="col">Delivery</th>
          <th scope="col">Permit status</th>
          <th scope="col">Last change</th>
        </tr>
      </thead>
      <tbody>
        {permits.map((p) => (
          <tr key={p.id}>
            <td>
              <Link to={`/permits/${p.id}/ingress`}>{p.title}</Link>
            </td>
            <td>{stateOf(p.status)}</td>
            <td>
              <StatusBadge status={p.status} />
            </td>
            <td>{when(p.updatedAt)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
