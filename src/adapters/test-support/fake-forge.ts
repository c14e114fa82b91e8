import type { ForgeInvoke } from '../forge-backend';
import type { ForgeResolverContext, ForgeResolverRequest } from '../forge-resolvers';

/** Stands in for `@forge/resolver`: keeps what `define` registers. */
export class FakeResolver {
  readonly functions = new Map<string, (request: ForgeResolverRequest) => Promise<object>>();
  define(functionKey: string, fn: (request: ForgeResolverRequest) => Promise<object>): this {
    this.functions.set(functionKey, fn);
    return this;
  }
}

/** Stands in for `@forge/bridge`'s invoke: JSON both ways, an error for an unknown function, as Forge does. */
export function bridgeTo(resolver: FakeResolver, context: ForgeResolverContext = { accountId: 'alice' }) {
  const calls: { functionKey: string; payload: unknown }[] = [];
  const invoke: ForgeInvoke = async (functionKey, payload) => {
    calls.push({ functionKey, payload });
    const fn = resolver.functions.get(functionKey);
    if (!fn) throw new Error(`Resolver has no definition for '${functionKey}'.`);
    const answer = await fn({ payload: JSON.parse(JSON.stringify(payload ?? {})), context });
    return JSON.parse(JSON.stringify(answer));
  };
  return { invoke, calls };
}
