/**
 * webpack and rspack: they read `virtual:` as a URL scheme and refuse it before any resolver
 * runs, so `virtual:buttercms…` requests are rewritten to `'\0' + request` first (not a
 * scheme), which the plugin's resolveId accepts.
 */
import type { PluginState } from './state.ts';

interface Compiler {
  context: string;
  webpack: {
    NormalModuleReplacementPlugin: new (
      pattern: RegExp,
      replace: (resource: { request: string }) => void,
    ) => { apply(compiler: never): void };
  };
}

export function webpackLike(state: PluginState) {
  return (compiler: Compiler) => {
    state.setHostRoot(compiler.context);
    const { NormalModuleReplacementPlugin } = compiler.webpack;
    new NormalModuleReplacementPlugin(/^virtual:buttercms(?:$|\/)/, (resource) => {
      resource.request = `\0${resource.request}`;
    }).apply(compiler as never);
  };
}
