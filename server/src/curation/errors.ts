/**
 * Bad input to curation: a bad variant or mapping, an output that exists, nothing left to export.
 * The CLI turns every `CurationError` into its message and exit code 2; the language server into a
 * request error the panel shows as is. Anything else is a bug or an I/O failure (exit code 1).
 */
export class CurationError extends Error {
  override name = 'CurationError';
}
