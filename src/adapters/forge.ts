// The `objectdrop/forge` entry. It never imports @forge/* itself: the app passes `invoke`, its
// `Resolver` and its store in, so neither side of a Forge app pays for what it does not run.
export {
  createForgeBackend,
  type ForgeBackendOptions,
  type ForgeErrorData,
  type ForgeFunctionKeys,
  type ForgeInvoke,
} from './forge-backend';
export { DEFAULT_FORGE_FUNCTION_KEYS, type ForgeResolverResult } from './forge-functions';
export {
  type ForgeObjectStoreLike,
  type ForgeObjectStoreOperation,
  type ForgeResolverContext,
  type ForgeResolverLike,
  type ForgeResolverRequest,
  type ObjectStoreResolverOptions,
  registerObjectStoreResolvers,
  toForgeErrorData,
} from './forge-resolvers';
