import { MAX_OBJECT_SIZE } from '../core/limits';
import { formatBytes } from './format';
import { defaultMessages, type Messages } from './messages';

export type FileErrorCode = 'file-too-large' | 'file-invalid-type' | 'too-many-files' | (string & {});

export interface FileError {
  code: FileErrorCode;
  message: string;
}

/** A file that was not added, and why. Data, not an exception. */
export interface FileRejection {
  file: File;
  errors: FileError[];
}

export interface FileRules {
  /** MIME types (`image/png`, `image/*`) or extensions (`.pdf`), as an array or comma-separated. Default: any. */
  accept?: string | readonly string[];
  /** Largest accepted file in bytes. Default: the store's limit, 1 GiB. */
  maxSize?: number;
  /** Most files accepted at once; the rest are rejected. Default: no limit. */
  maxFiles?: number;
  /** Your own check: return an error (or several) to reject the file, nothing to accept it. */
  validator?: (file: File) => FileError | readonly FileError[] | null | undefined;
}

export function acceptList(accept: FileRules['accept']): string[] {
  if (!accept) return [];
  const items = typeof accept === 'string' ? accept.split(',') : accept;
  return items.map((item) => item.trim()).filter(Boolean);
}

/** Same rules as the `accept` attribute of `<input type=file>`. */
export function matchesAccept(file: File, accept: readonly string[]): boolean {
  if (accept.length === 0) return true;
  const name = file.name.toLowerCase();
  const type = (file.type || '').toLowerCase();
  return accept.some((rule) => {
    const lower = rule.toLowerCase();
    if (lower.startsWith('.')) return name.endsWith(lower);
    if (lower.endsWith('/*')) return type.startsWith(lower.slice(0, -1));
    return type === lower;
  });
}

export interface ValidationResult {
  accepted: File[];
  rejected: FileRejection[];
}

export function validateFiles(
  files: readonly File[],
  rules: FileRules = {},
  messages: Messages = defaultMessages,
  locale?: string,
): ValidationResult {
  const { maxSize = MAX_OBJECT_SIZE, maxFiles, validator } = rules;
  const accept = acceptList(rules.accept);
  const accepted: File[] = [];
  const rejected: FileRejection[] = [];
  for (const file of files) {
    const errors: FileError[] = [];
    if (file.size > maxSize) {
      errors.push({ code: 'file-too-large', message: messages.tooLarge(formatBytes(maxSize, locale)) });
    }
    if (!matchesAccept(file, accept)) {
      errors.push({ code: 'file-invalid-type', message: messages.invalidType(accept.join(', ')) });
    }
    const custom = validator?.(file);
    if (custom) errors.push(...(Array.isArray(custom) ? custom : [custom as FileError]));
    if (errors.length === 0 && maxFiles !== undefined && accepted.length >= maxFiles) {
      errors.push({ code: 'too-many-files', message: messages.tooMany(maxFiles) });
    }
    if (errors.length > 0) rejected.push({ file, errors });
    else accepted.push(file);
  }
  return { accepted, rejected };
}
