// Types shared by the main-side services and the two shells that wire them (Electron, browser
// mode). Nothing here imports Electron or Node built-ins, so any service can depend on it.
import type { z } from 'zod';
import type { Channel, ResponseOf, StudioEvent, requests } from '../../shared/contract';

/** The input a handler receives: the payload after schema validation (defaults applied). */
export type ParsedInput<C extends Channel> = z.output<(typeof requests)[C]['input']>;

/** A service's implementation of one channel. Throw StudioFailure for expected errors. */
export type Handler<C extends Channel> = (input: ParsedInput<C>) => Promise<ResponseOf<C>> | ResponseOf<C>;

/** Handlers for some channels; a channel nobody handles answers not_available. */
export type Handlers = { [C in Channel]?: Handler<C> };

export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string, err?: unknown): void;
}

export const consoleLogger: Logger = {
  info: (message) => console.log(`[studio] ${message}`),
  warn: (message) => console.warn(`[studio] ${message}`),
  error: (message, err) => console.error(`[studio] ${message}`, err instanceof Error ? (err.stack ?? err.message) : (err ?? '')),
};

/** Fan-out of main-side events to every connected renderer. */
export interface EventHub {
  emit(event: StudioEvent): void;
  subscribe(listener: (event: StudioEvent) => void): () => void;
}

export type JobFrameKind = 'final' | 'preview';

/**
 * Where the image files behind `StudioTransport.frameUrl/thumbUrl` live. Each method returns an
 * absolute path (which may not exist yet), or null / throws when the id is unknown. The shells
 * check that the path stays inside `frameRoots` before serving it, so a resolver need not defend
 * itself.
 */
export type MaybeAsync<T> = T | Promise<T>;
export interface FrameSource {
  framePath?(mediaId: string, index: number): MaybeAsync<string | null>;
  thumbPath?(mediaId: string, index: number): MaybeAsync<string | null>;
  jobFramePath?(jobId: string, kind: JobFrameKind, index: number): MaybeAsync<string | null>;
}

/** What the shells get from `createServices`: everything transport-independent. */
export interface ServiceContext {
  mode: 'electron' | 'browser';
  version: string;
  dataDir: string;
  events: EventHub;
  log: Logger;
}
