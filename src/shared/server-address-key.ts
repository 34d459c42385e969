/**
 * A model server's address as two are compared: no trailing slash, localhost as 127.0.0.1, so one server typed two
 * ways is one (the host's detection and the Model page's "nothing answered there" agree on it).
 */
export function serverAddressKey(address: string): string {
  return address.trim().replace(/\/+$/, '').replace('//localhost', '//127.0.0.1');
}
