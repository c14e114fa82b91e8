/**
 * Empties a file that was committed and then found wrong (a failed check after `close`, or a cancel
 * during it): it must not look like the object. Errors are swallowed: a file gone or no longer writable
 * has nothing more to undo.
 */
export async function emptyFile(handle: FileSystemFileHandle): Promise<void> {
  try {
    await (await handle.createWritable({ keepExistingData: false })).close();
  } catch {
    // Nothing more we can undo.
  }
}
