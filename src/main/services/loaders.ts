// The optional services and how to start each one. A loader imports its module lazily, so a
// service whose dependencies are broken (a missing native binary, say) fails alone, at start-up,
// with its reason reported through not_available. Add new services (render, export, models)
// here as they land.
import type { Channel } from '../../shared/contract';
import type { FrameSource, Handlers, ServiceContext } from './serviceTypes';

export interface ServiceModule {
  handlers: Handlers;
  frames?: FrameSource;
  /** Extra folders (besides the data dir) its frame paths may point into. */
  roots?: string[];
  dispose?(): void | Promise<void>;
}

export interface ServiceLoader {
  name: string;
  /** The channels it serves: they answer not_available with the reason if loading fails. */
  channels: readonly Channel[];
  load(ctx: ServiceContext): Promise<ServiceModule>;
}

export const SERVICE_LOADERS: readonly ServiceLoader[] = [];
