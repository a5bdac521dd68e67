import type { BuildOptions } from 'esbuild';

export declare const HANDLER_BUILD_OPTIONS: BuildOptions;
