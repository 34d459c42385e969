/**
 * The names tools give a file path, as the shipped policy's path rules list them (`"{path,paths,…}"` in
 * resources/policy.default.yaml, kept equal by a test): fs.read's `path`, a filesystem server's `paths` and
 * `source`/`destination`, a coding agent's `file_path`, a resource's `uri` (a `file:` URI is read as its path).
 * The taint classifier looks for files read from outside the trusted folders under the same names.
 */
export const PATH_ARGUMENT_NAMES = ['path', 'paths', 'file', 'files', 'file_path', 'filepath', 'filename', 'source', 'destination', 'uri'] as const;

/** The names as one argument-name glob, as a policy rule writes them. */
export const PATH_ARGUMENT_GLOB = `{${PATH_ARGUMENT_NAMES.join(',')}}`;
