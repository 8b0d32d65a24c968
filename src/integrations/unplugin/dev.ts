/** The Vite dev server side: filled in by the watch stage. */
import type { ViteDevServer } from 'vite';
import type { ResolvedOptions } from '../../core/options.ts';
import type { PluginState } from './state.ts';

export function startDevServer(
  _state: PluginState,
  _server: ViteDevServer,
  _resolved: ResolvedOptions,
): void {}
