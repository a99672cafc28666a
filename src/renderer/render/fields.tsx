// Small labelled inputs for the panels. A number field keeps what is typed as a draft and reports
// only parseable numbers, so a half-typed value ("", "-") never reaches the project.
import { useEffect, useState, type ReactNode } from 'react';

export function Field({ label, children, hint }: { label: string; children: ReactNode; hint?: string }) {
  return (
    <label className="field" title={hint}>
      <span className="field-label">{label}</span>
      {children}
    </label>
  );
}

interface NumberFieldProps {
  label: string;
  value: number;
  onChange: (value: number) => void;
  min?: number;
  max?: number;
  step?: number;
  testId: string;
  hint?: string;
  invalid?: boolean;
}

export function NumberField({ label, value, onChange, min, max, step = 1, testId, hint, invalid }: NumberFieldProps) {
  const [draft, setDraft] = useState(String(value));
  useEffect(() => setDraft((d) => (Number(d) === value && d.trim() !== '' ? d : String(value))), [value]);
  return (
    <Field label={label} hint={hint}>
      <input
        className={`field-input${invalid ? ' invalid' : ''}`}
        type="number"
        data-testid={testId}
        value={draft}
        min={min}
        max={max}
        step={step}
        aria-invalid={invalid || undefined}
        onChange={(e) => {
          setDraft(e.target.value);
          const parsed = Number(e.target.value);
          if (e.target.value.trim() !== '' && Number.isFinite(parsed)) onChange(parsed);
        }}
        onBlur={() => setDraft(String(value))}
      />
    </Field>
  );
}

interface SelectFieldProps<V extends string> {
  label: string;
  value: V;
  options: readonly { value: V; label: string }[];
  onChange: (value: V) => void;
  testId: string;
  hint?: string;
}

export function SelectField<V extends string>({ label, value, options, onChange, testId, hint }: SelectFieldProps<V>) {
  return (
    <Field label={label} hint={hint}>
      <select className="field-input" data-testid={testId} value={value} onChange={(e) => onChange(e.target.value as V)}>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </Field>
  );
}

/** A thin progress bar; `fraction` null draws the indeterminate stripe. */
export function ProgressBar({ fraction, testId }: { fraction: number | null; testId?: string }) {
  return (
    <span className={`progress${fraction === null ? ' indeterminate' : ''}`} data-testid={testId}>
      <span className="progress-fill" style={{ width: fraction === null ? undefined : `${Math.max(0, Math.min(1, fraction)) * 100}%` }} />
    </span>
  );
}

/** "1:05" / "12 s" for an ETA in seconds. */
export function formatEta(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return '–';
  const s = Math.max(0, Math.round(seconds));
  return s < 60 ? `${s} s` : `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}
