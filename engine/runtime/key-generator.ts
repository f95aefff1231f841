/**
 * Keys as Zeebe makes them: a 64-bit number whose high bits carry the partition id (partition 1 here),
 * shown as decimal strings. They stay below 2^53 so plain numbers hold them exactly. The highest key
 * handed out is persisted with every batch, so keys never repeat after a restart.
 */
const PARTITION_BITS = 51;
const PARTITION_ID = 1;
const FIRST = PARTITION_ID * 2 ** PARTITION_BITS;

export class KeyGenerator {
  private last: number;

  constructor(highWater?: number) {
    this.last = highWater !== undefined && highWater >= FIRST ? highWater : FIRST;
  }

  next(): string {
    this.last += 1;
    return String(this.last);
  }

  get highWater(): number {
    return this.last;
  }
}

