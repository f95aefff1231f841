/** Entry of `npm run audit:verify` (see verify-audit-log-command.ts). */
import { runVerifyAuditLogCommand } from './verify-audit-log-command.js';

process.exitCode = await runVerifyAuditLogCommand(process.argv.slice(2), process.env, {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
});
