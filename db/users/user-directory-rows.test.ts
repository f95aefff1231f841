import { describe, expect, it } from 'vitest';
import { toDirectoryRoles } from './user-directory-rows.js';

describe('user directory rows', () => {
  it('read directory roles whether jsonb arrives parsed or as text, keeping only strings', () => {
    expect(toDirectoryRoles(['researcher', 'admin'])).toEqual(['researcher', 'admin']);
    expect(toDirectoryRoles('["hdab-reviewer"]')).toEqual(['hdab-reviewer']);
    expect(toDirectoryRoles(['admin', 7, null])).toEqual(['admin']);
    expect(toDirectoryRoles(null)).toEqual([]);
  });
});
