/**
 * The 8.8 search response: `{ items, page: { totalItems, hasMoreTotalItems, startCursor?, endCursor? } }`.
 * Cursors encode the offset of the first/last item on the page (see search-request.ts).
 */
import type { SearchQuery, SearchResult } from '../store/store.js';
import { encodeCursor, translateSearchRequest, type SearchSpec } from './search-request.js';

export interface SearchPage {
  totalItems: number;
  hasMoreTotalItems: boolean;
  startCursor?: string;
  endCursor?: string;
}

export interface SearchResponse<R> {
  items: R[];
  page: SearchPage;
}

export function toSearchResponse<T, R>(result: SearchResult<T>, query: SearchQuery, map: (item: T) => R): SearchResponse<R> {
  const page: SearchPage = { totalItems: result.total, hasMoreTotalItems: false };
  if (result.items.length > 0) {
    page.startCursor = encodeCursor(query.offset);
    page.endCursor = encodeCursor(query.offset + result.items.length - 1);
  }
  return { items: result.items.map(map), page };
}

/** Validates and translates the body, runs the search (unless it cannot match) and maps the items. */
export async function runSearch<T, R>(
  body: unknown,
  spec: SearchSpec,
  search: (q: SearchQuery) => Promise<SearchResult<T>>,
  map: (item: T) => R,
): Promise<SearchResponse<R>> {
  const { query, matchesNothing } = translateSearchRequest(body, spec);
  const result = matchesNothing ? { items: [], total: 0 } : await search(query);
  return toSearchResponse(result, query, map);
}
