// Pan and zoom as plain numbers: screen = graph * zoom + (x, y). Pure, so the "keep the viewport
// stable while the graph changes under it" rules can be tested without a browser.
import type { NodeBox, Point } from '../layout/layoutGraph';
import { cleanOffset } from './cleanEdge';

export interface Viewport {
  x: number;
  y: number;
  zoom: number;
}

export interface Size {
  width: number;
  height: number;
}

export const MIN_ZOOM = 0.1;
export const MAX_ZOOM = 2.5;

export function clampZoom(zoom: number): number {
  return Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, zoom));
}

/**
 * Shows the whole graph in the screen, centred, never enlarged past 100% nor shrunk below `minZoom`
 * (Show all passes a lower floor: it must show every node, however small).
 */
export function fitViewport(graph: Size, screen: Size, padding = 16, minZoom = MIN_ZOOM): Viewport {
  if (graph.width <= 0 || graph.height <= 0 || screen.width <= 0 || screen.height <= 0) {
    return { x: padding, y: padding, zoom: 1 };
  }
  const zoom = Math.max(
    minZoom,
    Math.min(1, (screen.width - 2 * padding) / graph.width, (screen.height - 2 * padding) / graph.height),
  );
  return {
    x: (screen.width - graph.width * zoom) / 2,
    y: (screen.height - graph.height * zoom) / 2,
    zoom,
  };
}

/**
 * Below this zoom node text is too small to read (13 px titles drawn under 11 px): a fit never goes
 * lower; the user still can, with the wheel or the − button.
 */
export const READABLE_ZOOM = 0.85;

/** The smallest box holding all `boxes`. */
export function unionBox(boxes: NodeBox[]): NodeBox | undefined {
  if (boxes.length === 0) return undefined;
  const left = Math.min(...boxes.map((b) => b.x));
  const top = Math.min(...boxes.map((b) => b.y));
  const right = Math.max(...boxes.map((b) => b.x + b.width));
  const bottom = Math.max(...boxes.map((b) => b.y + b.height));
  return { x: left, y: top, width: right - left, height: bottom - top };
}

/**
 * The first box with as many of the following ones as fit together in `room` at `zoom` (a task
 * with those of its neighbours that fit beside it), or undefined without boxes.
 */
export function fittingUnion(boxes: NodeBox[], room: Size, zoom: number): NodeBox | undefined {
  let union: NodeBox | undefined;
  for (const box of boxes) {
    const next = unionBox(union ? [union, box] : [box])!;
    if (union && (next.width * zoom > room.width || next.height * zoom > room.height)) continue;
    union = next;
  }
  return union;
}

/**
 * One axis of a readable fit: the graph centred when it fits, else `centre` (a graph coordinate)
 * brought to the middle of the screen without pulling an edge of the graph past its padding.
 */
function placeAxis(graphLength: number, screenLength: number, zoom: number, centre: number, padding: number) {
  const drawn = graphLength * zoom;
  if (drawn <= screenLength - 2 * padding) return (screenLength - drawn) / 2;
  const wanted = screenLength / 2 - centre * zoom;
  return Math.min(padding, Math.max(screenLength - padding - drawn, wanted));
}

/** A graph to fit: its size and, when known, its nodes (a fit then cuts none at its start edges). */
export type FitGraph = Size & { nodes?: Record<string, NodeBox> };

/**
 * Fit to view that stays readable: all of the graph when that needs no zoom below READABLE_ZOOM,
 * else READABLE_ZOOM around `interest` (the boxes of the task the user looks at and its neighbours,
 * as many as fit: see fittingUnion). Without interest, the graph's start (its sources on
 * the left, where a pipeline is read from).
 *
 * When "every node in view" and "readable" conflict (an expanded backfill in a 420 px panel), readable
 * wins: a node drawn under 11 px cannot be read, so showing it is no help. But no node is cut by the
 * view's left or top edge (cleanEdge.ts): the view starts in a gap between nodes, so what is shown reads
 * as the start of something that goes on, never as a broken node. The canvas then says how many of
 * the nodes are wholly in view, and the rest are a drag (or Show all) away.
 */
export function readableFit(graph: FitGraph, screen: Size, interest: NodeBox[] = [], padding = 16): Viewport {
  const fit = fitViewport(graph, screen, padding);
  if (fit.zoom >= READABLE_ZOOM || screen.width <= 0 || screen.height <= 0) return fit;
  const zoom = READABLE_ZOOM;
  const room = { width: screen.width - 2 * padding, height: screen.height - 2 * padding };
  const target = fittingUnion(interest, room, zoom) ?? { x: 0, y: 0, width: 0, height: graph.height };
  const centre = centreOf(target);
  const wanted = {
    x: placeAxis(graph.width, screen.width, zoom, centre.x, padding),
    y: placeAxis(graph.height, screen.height, zoom, centre.y, padding),
    zoom,
  };
  const boxes = Object.values(graph.nodes ?? {});
  if (boxes.length === 0) return wanted;
  const xFirst = cleanStart(wanted, boxes, graph, screen, target, padding, ['x', 'y']);
  const yFirst = cleanStart(wanted, boxes, graph, screen, target, padding, ['y', 'x']);
  const cost = (v: Viewport) =>
    (isFullyOnScreen(v, target, screen) ? 0 : 1e9) + Math.abs(v.x - wanted.x) + Math.abs(v.y - wanted.y);
  return cost(yFirst) < cost(xFirst) ? yFirst : xFirst;
}

/**
 * Moves `wanted` so neither start edge cuts a node: the first axis against every node, the second
 * against the nodes the first leaves in view (a node out of view across cannot be cut along).
 * An axis on which the graph fits stays centred.
 */
function cleanStart(
  wanted: Viewport,
  boxes: NodeBox[],
  graph: Size,
  screen: Size,
  target: NodeBox,
  padding: number,
  order: ['x', 'y'] | ['y', 'x'],
): Viewport {
  const view = { ...wanted };
  let considered = boxes;
  for (const axis of order) {
    const [pos, length, screenLength] =
      axis === 'x' ? (['x', 'width', 'width'] as const) : (['y', 'height', 'height'] as const);
    const drawn = graph[length] * view.zoom;
    if (drawn > screen[screenLength] - 2 * padding) {
      view[axis] = cleanOffset(
        considered.map((b) => ({ start: b[pos], end: b[pos] + b[length] })),
        {
          screen: screen[screenLength],
          zoom: view.zoom,
          padding,
          wanted: wanted[axis],
          lowest: screen[screenLength] - padding - drawn,
          target: { start: target[pos], end: target[pos] + target[length] },
        },
      );
    }
    const from = -view[axis] / view.zoom;
    const to = (screen[screenLength] - view[axis]) / view.zoom;
    considered = considered.filter((b) => b[pos] + b[length] > from && b[pos] < to);
  }
  return view;
}

/** The first view of a graph: a readable fit (see readableFit). */
export function initialViewport(graph: Size, screen: Size, padding = 16, interest: NodeBox[] = []): Viewport {
  return readableFit(graph, screen, interest, padding);
}

/**
 * Pans as little as possible so that `boxes` (a node and its neighbours) are on screen, e.g. after
 * a side panel took part of the canvas. When they cannot all be shown at this zoom, the first is,
 * with as many of the others as fit.
 */
export function reveal(viewport: Viewport, boxes: NodeBox[], screen: Size, padding = 16): Viewport {
  const { zoom } = viewport;
  const room = { width: screen.width - 2 * padding, height: screen.height - 2 * padding };
  const target = fittingUnion(boxes, room, zoom);
  if (!target) return viewport;
  const axis = (pos: number, start: number, length: number, screenLength: number) => {
    const from = start * zoom + pos;
    const to = from + length * zoom;
    if (length * zoom > screenLength - 2 * padding) return screenLength / 2 - (start + length / 2) * zoom;
    if (from < padding) return pos + (padding - from);
    if (to > screenLength - padding) return pos - (to - (screenLength - padding));
    return pos;
  };
  return {
    zoom,
    x: axis(viewport.x, target.x, target.width, screen.width),
    y: axis(viewport.y, target.y, target.height, screen.height),
  };
}

/** Zooms by `factor` keeping the graph point under `screenPoint` where it is (wheel under the mouse). */
export function zoomAt(viewport: Viewport, factor: number, screenPoint: Point): Viewport {
  // A view Show all took below MIN_ZOOM zooms from there rather than jumping.
  const zoom = Math.max(Math.min(MIN_ZOOM, viewport.zoom), clampZoom(viewport.zoom * factor));
  const gx = (screenPoint.x - viewport.x) / viewport.zoom;
  const gy = (screenPoint.y - viewport.y) / viewport.zoom;
  return { x: screenPoint.x - gx * zoom, y: screenPoint.y - gy * zoom, zoom };
}

export function panBy(viewport: Viewport, dx: number, dy: number): Viewport {
  return { ...viewport, x: viewport.x + dx, y: viewport.y + dy };
}

export function centreOf(box: NodeBox): Point {
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
}

/** Puts a graph point in the middle of the screen at the current zoom (search → centre a task). */
export function centreOn(viewport: Viewport, point: Point, screen: Size): Viewport {
  return {
    ...viewport,
    x: screen.width / 2 - point.x * viewport.zoom,
    y: screen.height / 2 - point.y * viewport.zoom,
  };
}

/**
 * After a re-layout, moves the viewport by as much as the anchor node moved, so the node the user
 * looks at stays at the same place on screen while everything else settles around it.
 */
export function keepAnchor(viewport: Viewport, before: NodeBox, after: NodeBox): Viewport {
  const from = centreOf(before);
  const to = centreOf(after);
  return {
    ...viewport,
    x: viewport.x - (to.x - from.x) * viewport.zoom,
    y: viewport.y - (to.y - from.y) * viewport.zoom,
  };
}

/** The first candidate present in both layouts: the node to keep still across a re-layout. */
export function pickAnchor(
  candidates: (string | null | undefined)[],
  before: Record<string, NodeBox>,
  after: Record<string, NodeBox>,
): string | undefined {
  for (const id of candidates) if (id != null && before[id] && after[id]) return id;
  // Otherwise any node both layouts share, so additions elsewhere do not shift the view.
  return Object.keys(after).find((id) => before[id] !== undefined);
}

/** Whether a node lies fully outside the screen (then a search result must be brought into view). */
export function isOffScreen(viewport: Viewport, box: NodeBox, screen: Size): boolean {
  const left = box.x * viewport.zoom + viewport.x;
  const top = box.y * viewport.zoom + viewport.y;
  return (
    left + box.width * viewport.zoom < 0 ||
    top + box.height * viewport.zoom < 0 ||
    left > screen.width ||
    top > screen.height
  );
}

/** Whether a node lies wholly inside the screen (a node cut at the edge is not "in view"). */
export function isFullyOnScreen(viewport: Viewport, box: NodeBox, screen: Size): boolean {
  const left = box.x * viewport.zoom + viewport.x;
  const top = box.y * viewport.zoom + viewport.y;
  return (
    left >= -0.5 &&
    top >= -0.5 &&
    left + box.width * viewport.zoom <= screen.width + 0.5 &&
    top + box.height * viewport.zoom <= screen.height + 0.5
  );
}
