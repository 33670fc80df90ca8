/** The one error shape of every Docker API call, whichever client made it. */

/** A failed call, with the errno (ENOENT, ECONNREFUSED, EACCES, ETIMEDOUT ...) or HTTP status. */
export class DockerCallError extends Error {
  constructor(
    message: string,
    readonly code: string | undefined,
    readonly statusCode: number | undefined,
  ) {
    super(message);
    this.name = 'DockerCallError';
  }
}
