// @vitest-environment jsdom
// Every story renders and its play function passes (portable stories), so a broken story fails CI.
import { composeStories, setProjectAnnotations } from '@storybook/react-vite';
import { cleanup } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import preview from '../../.storybook/preview';

setProjectAnnotations(preview);
afterEach(cleanup);

type StoriesModule = Parameters<typeof composeStories>[0];
const modules = import.meta.glob<StoriesModule>('../../stories/*.stories.tsx', { eager: true });

describe('stories', () => {
  it('finds the story files', () => {
    expect(Object.keys(modules).length).toBeGreaterThanOrEqual(5);
  });

  for (const [path, module] of Object.entries(modules)) {
    const title = path.split('/').pop()!.replace('.stories.tsx', '');
    describe(title, () => {
      for (const [name, story] of Object.entries(composeStories(module))) {
        it(name, async () => {
          await (story as { run: () => Promise<void> }).run();
          expect(document.body.querySelector('[class^=od-]')).not.toBeNull();
        }, 30_000);
      }
    });
  }
});
