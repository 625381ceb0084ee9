import { useState } from 'preact/hooks';
import type { RiskMap } from '../../../client';
import { useI18n } from '../../i18n/i18n';
import { Field, SelectField } from '../common/ui';
import { newId, LEVELS, type Update } from './risk-map-parts';

export function ThreatsEditor({ map, update }: { map: RiskMap; update: Update }) {
  const { t } = useI18n();
  const [description, setDescription] = useState('');
  const [actorId, setActorId] = useState('');
  const [likelihood, setLikelihood] = useState(3);
  const [impact, setImpact] = useState(3);
  const [vulnerabilityIds, setVulnerabilityIds] = useState<string[]>([]);
  const [capacityIds, setCapacityIds] = useState<string[]>([]);
  const toggle = (list: string[], id: string) => (list.includes(id) ? list.filter((x) => x !== id) : [...list, id]);
  const add = () => {
    update({ threats: [...map.threats, { id: newId(), description: description.trim(), actorIds: actorId ? [actorId] : [], likelihood, impact, vulnerabilityIds, capacityIds }] });
    setDescription('');
    setVulnerabilityIds([]);
    setCapacityIds([]);
  };
  return (
    <div class="card stack">
      <h2>{t('threats.title')}</h2>
      <ul class="plain">
        {map.threats.map((threat, i) => (
          <li key={threat.id} class="row">
            <span>
              {/* The number on its dot in the matrix. */}
              {i + 1}. {threat.description} · {t('risk.position', { likelihood: threat.likelihood, impact: threat.impact })}
            </span>
            <button type="button" class="danger" onClick={() => update({ threats: map.threats.filter((x) => x.id !== threat.id) })}>
              {t('common.remove')}
            </button>
          </li>
        ))}
      </ul>
      <Field label={t('threats.description')} value={description} onValue={setDescription} maxLength={1000} />
      <SelectField label={t('threats.actor')} value={actorId} options={[{ value: '', label: t('threats.noActor') }, ...map.actors.map((a) => ({ value: a.id, label: a.name }))]} onValue={setActorId} />
      <SelectField label={t('risk.likelihood')} value={likelihood} options={LEVELS.map((n) => ({ value: n, label: String(n) }))} onValue={setLikelihood} />
      <SelectField label={t('risk.impact')} value={impact} options={LEVELS.map((n) => ({ value: n, label: String(n) }))} onValue={setImpact} />
      {map.vulnerabilities.length ? (
        <fieldset class="stack">
          <legend>{t('threats.linkedVulnerabilities')}</legend>
          {map.vulnerabilities.map((v) => (
            <label key={v.id} class="check">
              <input type="checkbox" checked={vulnerabilityIds.includes(v.id)} onChange={() => setVulnerabilityIds(toggle(vulnerabilityIds, v.id))} />
              {v.description}
            </label>
          ))}
        </fieldset>
      ) : null}
      {map.capacities.length ? (
        <fieldset class="stack">
          <legend>{t('threats.linkedCapacities')}</legend>
          {map.capacities.map((c) => (
            <label key={c.id} class="check">
              <input type="checkbox" checked={capacityIds.includes(c.id)} onChange={() => setCapacityIds(toggle(capacityIds, c.id))} />
              {c.description}
            </label>
          ))}
        </fieldset>
      ) : null}
      <button type="button" disabled={!description.trim()} onClick={add}>
        {t('threats.add')}
      </button>
    </div>
  );
}
