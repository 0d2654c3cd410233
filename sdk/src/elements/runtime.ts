/**
 * The page's one data layer, shared by every Relais element (and by two copies of the script):
 * one client, one token (asked once, refreshed before it expires and after a 401, single-flight),
 * one event stream (resumed with Last-Event-ID, paused while the page is hidden).
 */
import { createRelaisClient, type RelaisClient } from '../client';
import type { components } from '../generated/openapi';
import { type EventStream, type RealtimeEvent, subscribeToEvents } from '../realtime';
import { type SharedToken, sharedToken } from '../transport';

export interface RelaisConfig {
  /** The Relais origin, e.g. `https://relais.intranet.example.com`. */
  baseUrl: string;
  /** Returns a current embed token (your backend mints it); asked again when it nears expiry. */
  getToken: () => string | Promise<string>;
}

/** The state of the event stream: `live`, `connecting`, or `offline` (it keeps trying). */
export type Connection = 'live' | 'connecting' | 'offline';
export type Profile = Pick<components['schemas']['EmbedTokenInfo'], 'user_id' | 'user_name' | 'time_zone'>;
type Listener = (event: RealtimeEvent) => void;

export class RelaisRuntime extends EventTarget {
  client: RelaisClient | undefined;
  connection: Connection = 'connecting';
  private config: RelaisConfig | undefined;
  /** One token for the client and the stream: asked once, refreshed once for both. */
  private token: SharedToken | undefined;
  private readonly listeners = new Set<Listener>();
  private stream: EventStream | undefined;
  private lastEventId: string | undefined;
  private profileCall: Promise<Profile> | undefined;
  private readonly waiting: ((client: RelaisClient) => void)[] = [];

  constructor() {
    super();
    globalThis.document?.addEventListener('visibilitychange', () => this.follow());
  }

  /** Points every element on the page at a Relais server. Calling it again re-points them. */
  configure(config: RelaisConfig): void {
    this.config = config;
    this.token = sharedToken(config.getToken);
    this.client = createRelaisClient({ baseUrl: config.baseUrl, token: this.token });
    this.profileCall = undefined;
    this.stream?.close();
    this.stream = undefined;
    this.follow();
    for (const resolve of this.waiting.splice(0)) resolve(this.client);
    this.dispatchEvent(new Event('configured'));
  }

  /** The client, once `configure` has been called. */
  ready(): Promise<RelaisClient> {
    return this.client ? Promise.resolve(this.client) : new Promise((resolve) => this.waiting.push(resolve));
  }

  /** Who the widgets act for, and their time zone (asked once). */
  profile(): Promise<Profile> {
    this.profileCall ??= this.ready().then((client) =>
      client.embedTokens.current().catch(async (error: unknown) => {
        // A user's own access token (an internal tool signed in as its user) has no embed info.
        const me = await client.me.get().catch(() => Promise.reject(error));
        return { user_id: me.id, user_name: me.name, time_zone: me.time_zone };
      }),
    );
    const call = this.profileCall;
    call.catch(() => {
      if (this.profileCall === call) this.profileCall = undefined;
    });
    return call;
  }

  /** Calls `listener` for every event until the returned function is called. */
  listen(listener: Listener): () => void {
    this.listeners.add(listener);
    this.follow();
    return () => {
      this.listeners.delete(listener);
      this.follow();
    };
  }

  /** Opens the one stream when someone listens and the page is visible; closes it otherwise. */
  private follow(): void {
    const wanted =
      this.config && this.listeners.size > 0 && globalThis.document?.visibilityState !== 'hidden';
    if (!wanted) {
      if (this.stream) this.lastEventId = this.stream.lastEventId ?? this.lastEventId;
      this.stream?.close();
      this.stream = undefined;
      return;
    }
    if (this.stream || !this.config || !this.token) return;
    const config = this.config;
    this.setConnection('connecting');
    this.stream = subscribeToEvents({
      baseUrl: config.baseUrl,
      token: this.token,
      lastEventId: this.lastEventId,
      onOpen: () => this.setConnection('live'),
      onError: () => this.setConnection('offline'),
      onEvent: (event) => {
        this.lastEventId = event.id;
        for (const listener of this.listeners) listener(event);
      },
    });
  }

  private setConnection(connection: Connection): void {
    if (this.connection === connection) return;
    this.connection = connection;
    this.dispatchEvent(new Event('connection'));
  }
}

const KEY = Symbol.for('relais.runtime');

/** The page's runtime: one per page, shared by every copy of the elements. */
export function runtime(): RelaisRuntime {
  const holder = globalThis as typeof globalThis & { [KEY]?: RelaisRuntime };
  holder[KEY] ??= new RelaisRuntime();
  return holder[KEY];
}

/** Points every Relais element on the page at a server: `Relais.configure({ baseUrl, getToken })`. */
export function configure(config: RelaisConfig): void {
  runtime().configure(config);
}
