import type * as NodeDns from 'node:dns';

/**
 * A public-looking name that resolves to this computer, as an intranet name or a rebinding attack's does: one a
 * person may put on http.fetch's allowlist, whose address the connect-time guard must still refuse. Tests resolve
 * it with `withIntranetName` under `vi.mock('node:dns', …)`, since no real name may point inside (localhost is
 * refused on the allowlist by name).
 */
export const INTRANET_NAME = 'intranet.example.com';

/** node:dns with `lookup` answering 127.0.0.1 for INTRANET_NAME, every other name as before. */
export function withIntranetName(dns: typeof NodeDns): typeof NodeDns & { default: typeof NodeDns } {
  const lookup = ((hostname: string, options: unknown, callback: (...args: unknown[]) => void) => {
    if (hostname !== INTRANET_NAME) return (dns.lookup as (...args: unknown[]) => void)(hostname, options, callback);
    const all = typeof options === 'object' && options !== null && (options as { all?: boolean }).all;
    if (all) callback(null, [{ address: '127.0.0.1', family: 4 }]);
    else callback(null, '127.0.0.1', 4);
  }) as typeof dns.lookup;
  return { ...dns, lookup, default: { ...dns, lookup } };
}
