import { useEffect, useMemo, useState } from 'preact/hooks';
import { ApiError, api, type Card, type CardAction, type PsaCandidate } from '../api.js';
import { firstOfNextMonth, formatPeriod } from '../format.js';
import { messageOf, useNotify } from '../ui/notice.js';
import { useLoad } from '../ui/use-load.js';
import { useTick } from '../ui/use-tick.js';
import { BulkBar } from './bulk-bar.js';
import { LiveIndicator } from './live-indicator.js';
import { type PsaChoice, PsaChooser } from './psa-chooser.js';
import { useBuildEvents } from './live.js';
import { ListView } from './list-view.js';
import { Sections } from './sections.js';
import { Toolbar, type Mode } from './toolbar.js';
import { Totals } from './totals.js';
import { type Filter, type GroupKey, matches, type Sort, sortCards } from './view-model.js';

const PAST_TENSE: Record<CardAction, string> = {
  approve: 'Approved',
  adjust: 'Adjusted',
  dismiss: 'Dismissed',
};

/** The home screen: this period's cards, what they are worth, and the actions that settle them. */
export function BillingBoard() {
  const notify = useNotify();
  const view = useLoad(() => api.billing.view(), []);
  const [updatedAt, setUpdatedAt] = useState<number | null>(null);
  const live = useBuildEvents(() => void view.reload().then(() => setUpdatedAt(Date.now())));
  useTick(30_000);

  const [filter, setFilter] = useState<Filter>({ q: '', state: 'all' });
  const [mode, setMode] = useState<Mode>('cards');
  const [groupBy, setGroupBy] = useState<GroupKey>('companyName');
  const [sort, setSort] = useState<Sort>({ key: 'companyName', descending: false });
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [choice, setChoice] = useState<(PsaChoice & { action: CardAction; quantity?: number }) | null>(null);
  const [effectiveDate, setEffectiveDate] = useState('');
  const [busy, setBusy] = useState(false);

  const period = view.data?.period;
  useEffect(() => {
    if (period && effectiveDate === '') setEffectiveDate(firstOfNextMonth(period));
  }, [period, effectiveDate]);

  const shown = useMemo(
    () =>
      sortCards(
        (view.data?.cards ?? []).filter((card) => matches(card, filter)),
        sort,
      ),
    [view.data, filter, sort],
  );

  // Cards that left the view (actioned, or filtered out) cannot stay selected.
  useEffect(() => {
    const visible = new Set(shown.map((c) => c.id));
    setSelected((current) => {
      const kept = [...current].filter((id) => visible.has(id));
      return kept.length === current.size ? current : new Set(kept);
    });
  }, [shown]);

  const select = (ids: string[], on: boolean) =>
    setSelected((current) => {
      const next = new Set(current);
      for (const id of ids) {
        if (on) next.add(id);
        else next.delete(id);
      }
      return next;
    });

  const act = async (
    cardIds: string[],
    action: CardAction,
    quantity?: number,
    picked: { agreementLineId?: string; agreementId?: string } = {},
  ) => {
    if (!period) return;
    setBusy(true);
    try {
      const { results } = await api.billing.act({
        period,
        cardIds,
        action,
        quantity,
        effectiveDate: effectiveDate || undefined,
        ...picked,
      });
      // A card whose ConnectWise place is ambiguous asks which line or agreement to write.
      const ambiguous = results.find((r) => !r.ok && r.candidates !== undefined);
      if (ambiguous?.candidates) {
        setChoice({
          cardId: ambiguous.cardId,
          cardName: nameOf(view.data?.cards, ambiguous.cardId),
          message: ambiguous.error ?? '',
          candidates: ambiguous.candidates,
          action,
          quantity,
        });
      }
      const failed = results.filter((r) => !r.ok && r.candidates === undefined);
      const done = results.length - failed.length;
      if (done > 0) notify(`${PAST_TENSE[action]} ${done} ${done === 1 ? 'line' : 'lines'}.`, 'success');
      for (const f of failed)
        notify(`${nameOf(view.data?.cards, f.cardId)}: ${f.error ?? 'not done'}`, 'error');
      select(cardIds, false);
    } catch (e) {
      const body =
        e instanceof ApiError ? (e.body as { candidates?: PsaCandidate[] } | undefined) : undefined;
      if (body?.candidates && cardIds.length === 1) {
        const cardId = cardIds[0] as string;
        setChoice({
          cardId,
          cardName: nameOf(view.data?.cards, cardId),
          message: messageOf(e),
          candidates: body.candidates,
          action,
          quantity,
        });
      } else notify(messageOf(e), 'error');
    } finally {
      setBusy(false);
      await view.reload();
    }
  };

  if (!view.data) {
    return view.error ? (
      <p role="alert" class="form-error">
        Could not load the billing view: {view.error}
      </p>
    ) : (
      <p>Loading…</p>
    );
  }
  const data = view.data;

  return (
    <section class="board" aria-labelledby="board-title">
      <div class="page-head">
        <h1 id="board-title">Billing · {formatPeriod(data.period)}</h1>
        <LiveIndicator status={live} builtAt={data.builtAt} updatedAt={updatedAt} />
      </div>
      <Totals totals={data.totals} />
      <Toolbar
        period={data.period}
        filter={filter}
        onFilter={setFilter}
        mode={mode}
        onMode={setMode}
        groupBy={groupBy}
        onGroupBy={setGroupBy}
        sort={sort}
        onSort={setSort}
      />
      <BulkBar
        count={selected.size}
        effectiveDate={effectiveDate}
        onEffectiveDate={setEffectiveDate}
        onAct={(action) => void act([...selected], action)}
        onClear={() => setSelected(new Set())}
        busy={busy}
      />
      {shown.length === 0 ? (
        <p class="empty">
          {data.cards.length === 0
            ? 'Nothing to reconcile yet. Connect a vendor and map its accounts and services; cards appear after the next build.'
            : 'No line matches this filter.'}
        </p>
      ) : mode === 'cards' ? (
        <Sections cards={shown} selected={selected} onSelect={select} act={act} />
      ) : (
        <ListView
          cards={shown}
          groupBy={groupBy}
          sort={sort}
          onSort={setSort}
          selected={selected}
          onSelect={select}
          act={act}
        />
      )}
      {choice && (
        <PsaChooser
          choice={choice}
          onCancel={() => setChoice(null)}
          onChoose={(picked) => {
            setChoice(null);
            void act([choice.cardId], choice.action, choice.quantity, picked);
          }}
        />
      )}
    </section>
  );
}

const nameOf = (cards: Card[] | undefined, id: string): string => {
  const card = cards?.find((c) => c.id === id);
  return card ? `${card.companyName} ${card.productName}` : id;
};
