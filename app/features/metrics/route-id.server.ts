import type { ServerBuild } from '@remix-run/node';
import { matchRoutes } from '@remix-run/react';

/**
 * Maps a request to the Remix route id that serves it ("routes/admin.orders._index"), the label of
 * the HTTP histogram: bounded by the route table, unlike the raw URL. Static files are "static";
 * paths no route matches are "unmatched".
 */

interface RouteNode {
  id: string;
  path?: string;
  index?: boolean;
  caseSensitive?: boolean;
  children?: RouteNode[];
}

const MEMO_SIZE = 1_000;

export type RouteIdResolver = (pathname: string, dataParam?: unknown) => string;

export function createRouteIdResolver(routes: ServerBuild['routes']): RouteIdResolver {
  const all = Object.values(routes);
  const ids = new Set(all.map((r) => r.id));
  const childrenOf = (parentId: string | undefined): RouteNode[] =>
    all
      .filter((r) => r.parentId === parentId)
      .map((r) => {
        const node: RouteNode = { id: r.id, path: r.path, caseSensitive: r.caseSensitive };
        if (r.index) node.index = true;
        else node.children = childrenOf(r.id);
        return node;
      });
  // the shape react-router's matcher takes (index routes carry no children)
  const tree = childrenOf(undefined) as Parameters<typeof matchRoutes>[0];

  // matchRoutes ranks the whole route table on every call: remember the answer per path (bounded:
  // paths carry ids and tokens, so the memo starts over once it is full)
  const memo = new Map<string, string>();
  return (pathname, dataParam) => {
    if (pathname.startsWith('/build/')) return 'static';
    // a client-side navigation's data request names its route (?_data=<route id>)
    if (typeof dataParam === 'string' && ids.has(dataParam)) return dataParam;
    const known = memo.get(pathname);
    if (known !== undefined) return known;
    const matches = matchRoutes(tree, pathname);
    const id = matches?.[matches.length - 1]?.route.id ?? 'unmatched';
    if (memo.size >= MEMO_SIZE) memo.clear();
    memo.set(pathname, id);
    return id;
  };
}
