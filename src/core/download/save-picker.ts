interface SaveFilePickerWindow {
  showSaveFilePicker?: (options: { suggestedName?: string }) => Promise<FileSystemFileHandle>;
}

/**
 * Asks the user where to save, or `undefined` where the browser has no picker (Firefox, Safari). Must run
 * before the first `await` after the click that started the download, or the picker refuses to open.
 */
export function showSavePicker(fileName: string): Promise<FileSystemFileHandle> | undefined {
  const picker = (globalThis as SaveFilePickerWindow).showSaveFilePicker;
  return typeof picker === 'function' ? picker.call(globalThis, { suggestedName: fileName }) : undefined;
}
