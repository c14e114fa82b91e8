// Every story in real Chromium: it renders, its play function passes, and axe finds no violation.
import { composeStories, setProjectAnnotations } from '@storybook/react-vite';
import { cleanup } from '@testing-library/react';
import axe from 'axe-core';
import { afterEach, describe, expect, it } from 'vitest';
import preview from '../../.storybook/preview';

setProjectAnnotations(preview);
afterEach(cleanup);

type StoriesModule = Parameters<typeof composeStories>[0];
const modules = import.meta.glob<StoriesModule>('../../stories/*.stories.tsx', { eager: true });

describe('stories in Chromium', () => {
  for (const [path, module] of Object.entries(modules)) {
    const title = path.split('/').pop()!.replace('.stories.tsx', '');
    describe(title, () => {
      for (const [name, story] of Object.entries(composeStories(module))) {
        it(`${name} passes its play function and axe`, async () => {
          await (story as { run: () => Promise<void> }).run();
          // A story is a component, not a page: landmarks are the app's job ('region').
          const { violations } = await axe.run(document.body, { rules: { region: { enabled: false } } });
          expect(
            violations.map(
              (violation) =>
                `${violation.id}: ${violation.nodes.map((node) => `${node.target} ${node.failureSummary}`).join(' | ')}`,
            ),
          ).toEqual([]);
        });
      }
    });
  }
});
