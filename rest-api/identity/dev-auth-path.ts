/** Where the development issuer lives under `/api` (its issuer is `<publicUrl>/api/dev-auth`). */
export const DEV_AUTH_PATH = '/dev-auth';
