import { PSA_NAMES } from '../../../core/model.js';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { ApiError, api, type Card, type CardAction, type PsaCandidate } from '../api.js';
import { firstOfNextMonth, formatPeriod, setCurrency } from '../format.js';
import { messageOf, useNotify } from '../ui/notice.js';
import { useLoad } from '../ui/use-load.js';
import { useTick } from '../ui/use-tick.js';
import { ActionConfirm } from './action-confirm.js';
import { BulkBar } from './bulk-bar.js';
import { DecidedList } from './decided-list.js';
import { actionEffect, needsConfirm } from './effect.js';
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
/** An action waiting for the partner's yes in the confirm dialog. */
interface Pending {
  cardIds: string[];
  action: CardAction;
  quantity?: number;
  done: () => void;
}

type Tab = 'review' | 'decided';

export function BillingBoard() {
  const notify = useNotify();
  const [chosenPeriod, setChosenPeriod] = useState<string | undefined>(undefined);
  const view = useLoad(() => api.billing.view(chosenPeriod), [chosenPeriod]);
  const [tab, setTab] = useState<Tab>('review');
  const [pending, setPending] = useState<Pending | null>(null);
  // After approve or dismiss of one card, focus goes to the card that took its place.
  const focusAfter = useRef<number | null>(null);
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

  useEffect(() => {
    const index = focusAfter.current;
    if (index === null) return;
    focusAfter.current = null;
    const cards = document.querySelectorAll<HTMLElement>('.board article.card');
    const next = cards[Math.min(index, cards.length - 1)];
    if (next) next.focus();
    else document.getElementById('board-title')?.focus();
  }, [shown]);

  /** Acts at once, or first asks (bulk, or a line set to 0); resolves once done or cancelled. */
  const act = (cardIds: string[], action: CardAction, quantity?: number): Promise<void> => {
    const cards = (view.data?.cards ?? []).filter((c) => cardIds.includes(c.id));
    if (!needsConfirm(cards, action, quantity)) return run(cardIds, action, quantity);
    return new Promise((resolve) => setPending({ cardIds, action, quantity, done: resolve }));
  };

  const run = async (
    cardIds: string[],
    action: CardAction,
    quantity?: number,
    picked: { agreementLineId?: string; agreementId?: string } = {},
  ) => {
    if (!period) return;
    const [only] = cardIds;
    if (cardIds.length === 1 && only !== undefined && action !== 'adjust') {
      const index = shown.findIndex((c) => c.id === only);
      focusAfter.current = index < 0 ? null : index;
    }
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
      // A card whose PSA place is ambiguous asks which line or agreement to write.
      const ambiguous = results.find((r) => !r.ok && r.candidates !== undefined);
      if (ambiguous?.candidates) {
        setChoice({
          cardId: ambiguous.cardId,
          cardName: nameOf(view.data?.cards, ambiguous.cardId),
          psaName: psaNameOf(view.data?.cards, ambiguous.cardId),
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
          psaName: psaNameOf(view.data?.cards, cardId),
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
  setCurrency(data.currency);
  const pendingCards = pending ? data.cards.filter((c) => pending.cardIds.includes(c.id)) : [];

  return (
    <section class="board" aria-labelledby="board-title">
      <div class="page-head">
        <h1 id="board-title" tabIndex={-1}>
          Billing · {formatPeriod(data.period)}
        </h1>
        <label class="period-picker">
          Period
          <input
            type="month"
            value={data.period}
            onChange={(e) => {
              const value = e.currentTarget.value;
              if (!/^\d{4}-\d{2}$/.test(value)) return;
              setEffectiveDate('');
              setChosenPeriod(value);
            }}
          />
        </label>
        <LiveIndicator status={live} builtAt={data.builtAt} updatedAt={updatedAt} />
      </div>
      <Totals totals={data.totals} />
      <div class="segmented tabs" role="group" aria-label="Lines">
        <button type="button" aria-pressed={tab === 'review'} onClick={() => setTab('review')}>
          To review
        </button>
        <button type="button" aria-pressed={tab === 'decided'} onClick={() => setTab('decided')}>
          Decided this period
        </button>
      </div>
      {pending && (
        <ActionConfirm
          action={pending.action}
          effect={actionEffect(pendingCards, pending.action, pending.quantity)}
          effectiveDate={effectiveDate}
          onCancel={() => {
            pending.done();
            setPending(null);
          }}
          onConfirm={() => {
            setPending(null);
            void run(pending.cardIds, pending.action, pending.quantity).then(pending.done);
          }}
        />
      )}
      {tab === 'decided' ? (
        <DecidedList period={data.period} onChanged={() => void view.reload()} />
      ) : (
        <>
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
        </>
      )}
      {choice && (
        <PsaChooser
          choice={choice}
          onCancel={() => setChoice(null)}
          onChoose={(picked) => {
            setChoice(null);
            void run([choice.cardId], choice.action, choice.quantity, picked);
          }}
        />
      )}
    </section>
  );
}

const psaNameOf = (cards: Card[] | undefined, id: string): string => {
  const kind = cards?.find((c) => c.id === id)?.psa?.kind;
  return kind === undefined ? 'the PSA' : PSA_NAMES[kind];
};

const nameOf = (cards: Card[] | undefined, id: string): string => {
  const card = cards?.find((c) => c.id === id);
  return card ? `${card.companyName} ${card.productName}` : id;
};
