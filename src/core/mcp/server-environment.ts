import { getDefaultEnvironment } from '@modelcontextprotocol/sdk/client/stdio.js';

/** Variables that tell where TLS trust comes from: no secret, and needed wherever TLS is intercepted (a company proxy). */
export const CERTIFICATE_VARIABLES = ['NODE_EXTRA_CA_CERTS', 'SSL_CERT_FILE', 'SSL_CERT_DIR', 'REQUESTS_CA_BUNDLE'];

/**
 * What a server process gets from this one's environment: the SDK's short list (HOME, PATH, USER…) and the extra CA
 * certificates, without which a server (or `npx` fetching it) behind such a proxy reaches nothing. Nothing else.
 */
export function serverEnvironment(): Record<string, string> {
  const certificates = CERTIFICATE_VARIABLES.flatMap((name) => (process.env[name] ? [[name, process.env[name]]] : []));
  return { ...getDefaultEnvironment(), ...Object.fromEntries(certificates) };
}
