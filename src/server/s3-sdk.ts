import { ObjectStoreError } from '../core/errors';

type ClientModule = typeof import('@aws-sdk/client-s3');
type PresignerModule = typeof import('@aws-sdk/s3-request-presigner');

export interface S3Sdk {
  s3: ClientModule;
  presigner: PresignerModule;
}

let loading: Promise<S3Sdk> | undefined;

/**
 * The AWS packages are optional peer dependencies: `objectdrop/server` must load without them, so
 * they are imported on first use of an S3 function, with an install hint when they are missing.
 */
export function loadS3Sdk(): Promise<S3Sdk> {
  loading ??= Promise.all([import('@aws-sdk/client-s3'), import('@aws-sdk/s3-request-presigner')]).then(
    ([s3, presigner]) => ({ s3, presigner }),
    (error: unknown) => {
      loading = undefined;
      throw new ObjectStoreError(
        'INVALID_INPUT',
        'The S3 store needs the AWS SDK: npm install @aws-sdk/client-s3 @aws-sdk/s3-request-presigner',
        { cause: error, retryable: false },
      );
    },
  );
  return loading;
}
