import { isObjectStoreError, type ObjectStoreError } from '../errors';

/** The `ObjectStoreError` a promise rejects with; anything else (or fulfilment) fails the test. */
export async function rejection(promise: Promise<unknown>): Promise<ObjectStoreError> {
  try {
    await promise;
  } catch (error) {
    if (isObjectStoreError(error)) return error;
    throw error;
  }
  throw new Error('expected a rejection');
}
