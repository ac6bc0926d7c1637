import type { Interval } from './openHours.ts';

/** A busy block counted by the sweep: bookings and holds carry a quantity, calendar busy time a kind. */
export interface WeightedBlock extends Interval {
  readonly kind: 'booking' | 'hold' | 'calendar' | 'tentative';
  readonly quantity: number;
}

export interface Overlap {
  booking: number;
  hold: number;
  calendar: number;
  tentative: number;
}

const emptyOverlap = (): Overlap => ({ booking: 0, hold: 0, calendar: 0, tentative: 0 });

/** A binary min-heap on `end`, just enough for the sweep. */
class EndHeap {
  private readonly items: { end: number; block: WeightedBlock }[] = [];
  get size(): number {
    return this.items.length;
  }
  peekEnd(): number {
    return this.items[0]?.end ?? Number.POSITIVE_INFINITY;
  }
  push(end: number, block: WeightedBlock): void {
    const items = this.items;
    items.push({ end, block });
    for (let i = items.length - 1; i > 0;) {
      const parent = (i - 1) >> 1;
      if (items[parent]!.end <= items[i]!.end) break;
      [items[parent], items[i]] = [items[i]!, items[parent]!];
      i = parent;
    }
  }
  pop(): WeightedBlock | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (top === undefined || last === undefined || items.length === 0) return top?.block;
    items[0] = last;
    for (let i = 0; ;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let min = i;
      if (l < items.length && items[l]!.end < items[min]!.end) min = l;
      if (r < items.length && items[r]!.end < items[min]!.end) min = r;
      if (min === i) break;
      [items[min], items[i]] = [items[i]!, items[min]!];
      i = min;
    }
    return top.block;
  }
}

/**
 * For each slot (sorted by start, all of equal length, so ends are sorted
 * too), the total of blocks overlapping it once every block is widened by
 * `pad` ms on both sides. One pass with a heap of open blocks:
 * O((S + B) log B) for S slots and B blocks.
 */
export const sweepOverlaps = (
  slots: readonly Interval[],
  blocks: readonly WeightedBlock[],
  pad: number,
): Overlap[] => {
  const sorted = [...blocks].sort((a, b) => a.start - b.start);
  const open = new EndHeap();
  const totals = emptyOverlap();
  const apply = (block: WeightedBlock, sign: 1 | -1): void => {
    totals[block.kind] += sign * block.quantity;
  };
  let next = 0;
  return slots.map((slot) => {
    while (next < sorted.length && sorted[next]!.start - pad < slot.end) {
      const block = sorted[next++]!;
      open.push(block.end + pad, block);
      apply(block, 1);
    }
    while (open.size > 0 && open.peekEnd() <= slot.start) {
      const block = open.pop();
      if (block) apply(block, -1);
    }
    return { ...totals };
  });
};
