import { useState } from 'preact/hooks';
import type { RiskMap } from '../../../client';
import { useI18n } from '../../i18n/i18n';
import { Field, SelectField } from '../common/ui';
import { newId, LEVELS, type Update } from './risk-map-parts';

export function ActorsEditor({ map, update }: { map: RiskMap; update: Update }) {
  const { t } = useI18n();
  const [name, setName] = useState('');
  const [stance, setStance] = useState<'ally' | 'neutral' | 'opponent'>('opponent');
  const [influence, setInfluence] = useState(3);
  return (
    <div class="card stack">
      <h2>{t('actors.title')}</h2>
      <ul class="plain">
        {map.actors.map((actor) => (
          <li key={actor.id} class="row">
            <span>
              <strong>{actor.name}</strong> · {t(actor.stance === 'ally' ? 'actors.ally' : actor.stance === 'neutral' ? 'actors.neutral' : 'actors.opponent')} · {t('actors.influenceN', { n: actor.influence })}
            </span>
            <button type="button" class="danger" onClick={() => update({ actors: map.actors.filter((a) => a.id !== actor.id), threats: map.threats.map((th) => ({ ...th, actorIds: th.actorIds.filter((id) => id !== actor.id) })) })}>
              {t('common.remove')}
            </button>
          </li>
        ))}
      </ul>
      <Field label={t('actors.name')} value={name} onValue={setName} maxLength={200} />
      <SelectField label={t('actors.stance')} value={stance} options={(['ally', 'neutral', 'opponent'] as const).map((s) => ({ value: s, label: t(s === 'ally' ? 'actors.ally' : s === 'neutral' ? 'actors.neutral' : 'actors.opponent') }))} onValue={setStance} />
      <SelectField label={t('actors.influence')} value={influence} options={LEVELS.map((n) => ({ value: n, label: String(n) }))} onValue={setInfluence} />
      <button type="button" disabled={!name.trim()} onClick={() => { update({ actors: [...map.actors, { id: newId(), name: name.trim(), kind: 'other', stance, influence }] }); setName(''); }}>
        {t('actors.add')}
      </button>
    </div>
  );
}
