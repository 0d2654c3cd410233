/** A page of a cursor list, as every Relais list returns it. */
export interface Page<T> {
  data: T[];
  next_cursor: string | null;
}

/**
 * A cursor list as an async iterable of its items, fetched a page at a time and only as they are
 * read. `next()` calls are serialised, so concurrent readers never skip or repeat a page.
 */
export interface Paginator<T> extends AsyncIterable<T> {
  /** The pages themselves. */
  pages(): AsyncIterable<Page<T>>;
  /** At most `limit` items, in order (the limit is required: lists can be long). */
  toArray(options: { limit: number }): Promise<T[]>;
}

/**
 * Walks a cursor list. `fetchPage` fetches the page at a cursor (undefined for the first page).
 *
 * @example
 * for await (const entry of paginate((cursor) => fetchEntries(cursor))) …
 */
export function paginate<T>(fetchPage: (cursor: string | undefined) => PromiseLike<Page<T>>): Paginator<T> {
  const pages = (): AsyncIterable<Page<T>> => ({
    [Symbol.asyncIterator]() {
      let cursor: string | undefined;
      let done = false;
      let queue: Promise<unknown> = Promise.resolve();
      const next = async (): Promise<IteratorResult<Page<T>>> => {
        if (done) return { done: true, value: undefined };
        const page = await fetchPage(cursor);
        cursor = page.next_cursor ?? undefined;
        done = page.next_cursor === null;
        return { done: false, value: page };
      };
      return {
        next() {
          const result = queue.then(next);
          queue = result.catch(() => undefined);
          return result;
        },
      };
    },
  });
  const items = async function* () {
    for await (const page of pages()) yield* page.data;
  };
  return {
    [Symbol.asyncIterator]: () => items()[Symbol.asyncIterator](),
    pages,
    async toArray({ limit }) {
      const collected: T[] = [];
      if (limit <= 0) return collected;
      for await (const item of items()) {
        collected.push(item);
        if (collected.length >= limit) break;
      }
      return collected;
    },
  };
}
