import type { VNode } from 'preact';
import { renderToString } from 'preact-render-to-string';

/** A complete HTML document. Preact escapes every text node and attribute value. */
export function renderPage(node: VNode): string {
  return '<!doctype html>' + renderToString(node);
}
