import { useEffect, useRef, useState } from 'preact/hooks';
import { api } from '../api.js';
import { formatDateTime, formatQuantity } from '../format.js';

type Point = { at: string; vendorQuantity: number };

/** Histories already fetched, by card and last change: a rebuilt board redraws without refetching. */
const cache = new Map<string, Point[]>();

const WIDTH = 120;
const HEIGHT = 32;
const PAD = 3;

/** The card's recent vendor quantities as a small step chart; fetched once the card is on screen. */
export function Sparkline({ cardId, version }: { cardId: string; version: string | null }) {
  const key = `${cardId}@${version ?? ''}`;
  const [points, setPoints] = useState<Point[] | undefined>(cache.get(key));
  const ref = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const cached = cache.get(key);
    if (cached) return setPoints(cached);
    const element = ref.current;
    if (!element) return;
    let cancelled = false;
    const observer = new IntersectionObserver(
      (entries) => {
        if (!entries.some((e) => e.isIntersecting)) return;
        observer.disconnect();
        api.billing.history(cardId).then(
          (history) => {
            // Oldest first, left to right.
            const sorted = [...history.points].sort((a, b) => a.at.localeCompare(b.at));
            cache.set(key, sorted);
            if (!cancelled) setPoints(sorted);
          },
          () => !cancelled && setPoints([]),
        );
      },
      // Start a little before the card scrolls into view, so the chart is there when it arrives.
      { rootMargin: '400px' },
    );
    observer.observe(element);
    return () => {
      cancelled = true;
      observer.disconnect();
    };
  }, [key, cardId]);

  return (
    <div class="sparkline" ref={ref}>
      {points === undefined ? <span class="muted small">…</span> : <Chart points={points} />}
      {points !== undefined && points.length > 0 && <DatedPoints points={points} />}
    </div>
  );
}

function Chart({ points }: { points: Point[] }) {
  if (points.length === 0) return <span class="muted small">No history yet</span>;
  const values = points.map((p) => p.vendorQuantity);
  // Scaled to its own range: a move from 17 to 20 seats must show, not hide near a zero baseline.
  const low = Math.min(...values);
  const high = Math.max(...values);
  const min = low === high ? low - 1 : low;
  const max = low === high ? high + 1 : high;
  const x = (i: number) =>
    PAD + (points.length === 1 ? WIDTH - 2 * PAD : (i * (WIDTH - 2 * PAD)) / (points.length - 1));
  const y = (v: number) => HEIGHT - PAD - ((v - min) * (HEIGHT - 2 * PAD)) / (max - min);
  // A step line: a count holds its value until the next change.
  const path = points
    .map((p, i) => {
      const here = `${x(i).toFixed(1)},${y(p.vendorQuantity).toFixed(1)}`;
      if (i === 0)
        return points.length === 1 ? `M${PAD},${y(p.vendorQuantity).toFixed(1)} L${here}` : `M${here}`;
      return `H${x(i).toFixed(1)} V${y(p.vendorQuantity).toFixed(1)}`;
    })
    .join(' ');
  const first = values[0] ?? 0;
  const last = values.at(-1) ?? 0;
  const label = `Vendor quantity over the last ${points.length} ${points.length === 1 ? 'change' : 'changes'}: from ${formatQuantity(first)} to ${formatQuantity(last)}`;
  const lastPoint = points.length - 1;
  return (
    <svg
      class="chart"
      viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
      width={WIDTH}
      height={HEIGHT}
      role="img"
      aria-label={label}
    >
      <title>{label}</title>
      <path d={path} fill="none" stroke="currentColor" stroke-width="1.5" stroke-linejoin="round" />
      {points.map((p, i) => (
        <circle
          key={p.at + i}
          cx={x(i)}
          cy={y(p.vendorQuantity)}
          r={i === lastPoint ? 2.5 : 1.5}
          fill="currentColor"
        >
          <title>{`${formatDateTime(p.at)}: ${formatQuantity(p.vendorQuantity)}`}</title>
        </circle>
      ))}
    </svg>
  );
}

/** The chart's points with their dates, newest first, for reading exact values (and for screen readers). */
function DatedPoints({ points }: { points: Point[] }) {
  return (
    <details class="dated-points">
      <summary>History</summary>
      <ol>
        {[...points].reverse().map((p, i) => (
          <li key={p.at + i}>
            <time dateTime={p.at}>{formatDateTime(p.at)}</time>: {formatQuantity(p.vendorQuantity)}
          </li>
        ))}
      </ol>
    </details>
  );
}
