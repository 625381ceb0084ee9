import { useState } from 'preact/hooks';
import type { RiskMap } from '../../../client';
import { useI18n } from '../../i18n/i18n';
import { Field, SelectField } from '../common/ui';
import { newId, type Update, WEIGHTS, WEIGHT_KEY } from './risk-map-parts';

export function ItemsEditor({ map, update }: { map: RiskMap; update: Update }) {
  const { t } = useI18n();
  const [vulnerability, setVulnerability] = useState('');
  const [severity, setSeverity] = useState<number>(2);
  const [capacity, setCapacity] = useState('');
  const [strength, setStrength] = useState<number>(2);
  const weights = WEIGHTS.map((n) => ({ value: n as number, label: t(WEIGHT_KEY[n]) }));
  return (
    <div class="card stack">
      <h2>{t('items.vulnerabilities')}</h2>
      <ul class="plain stack">
        {map.vulnerabilities.map((v) => (
          <li key={v.id} data-testid="vulnerability">
            <SelectField label={t('items.severityOf', { item: v.description })} value={v.severity} options={weights} onValue={(n) => update({ vulnerabilities: map.vulnerabilities.map((x) => (x.id === v.id ? { ...x, severity: n } : x)) })} />
          </li>
        ))}
      </ul>
      <Field label={t('items.newVulnerability')} value={vulnerability} onValue={setVulnerability} maxLength={1000} />
      <SelectField label={t('items.severity')} value={severity} options={weights} onValue={setSeverity} />
      <button type="button" disabled={!vulnerability.trim()} onClick={() => { update({ vulnerabilities: [...map.vulnerabilities, { id: newId(), description: vulnerability.trim(), area: 'other', severity }] }); setVulnerability(''); }}>
        {t('items.addVulnerability')}
      </button>
      <h2>{t('items.capacities')}</h2>
      <ul class="plain stack">
        {map.capacities.map((c) => (
          <li key={c.id} data-testid="capacity">
            <SelectField label={t('items.strengthOf', { item: c.description })} value={c.strength} options={weights} onValue={(n) => update({ capacities: map.capacities.map((x) => (x.id === c.id ? { ...x, strength: n } : x)) })} />
          </li>
        ))}
      </ul>
      <Field label={t('items.newCapacity')} value={capacity} onValue={setCapacity} maxLength={1000} />
      <SelectField label={t('items.strength')} value={strength} options={weights} onValue={setStrength} />
      <button type="button" disabled={!capacity.trim()} onClick={() => { update({ capacities: [...map.capacities, { id: newId(), description: capacity.trim(), kind: 'capacity', strength }] }); setCapacity(''); }}>
        {t('items.addCapacity')}
      </button>
    </div>
  );
}
