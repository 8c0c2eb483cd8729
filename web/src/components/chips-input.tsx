import { type KeyboardEvent, useId, useState } from 'react';

/** A list of short values (subreddits, keywords) typed one at a time; Enter or comma adds. */
export function ChipsInput({
  label,
  values,
  onChange,
  placeholder,
  normalize = (v) => v.trim(),
  suggestions = [],
  onQuery,
}: {
  label: string;
  values: readonly string[];
  onChange: (v: string[]) => void;
  placeholder?: string;
  normalize?: (v: string) => string;
  suggestions?: readonly string[];
  onQuery?: (q: string) => void;
}) {
  const [text, setText] = useState('');
  const id = useId();
  const add = (raw: string) => {
    const v = normalize(raw);
    if (v && !values.includes(v)) onChange([...values, v]);
    setText('');
    onQuery?.('');
  };
  const onKey = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'Enter' || e.key === ',') {
      e.preventDefault();
      add(text);
    } else if (e.key === 'Backspace' && text === '' && values.length > 0) {
      onChange(values.slice(0, -1));
    }
  };
  const open = suggestions.filter((s) => !values.includes(s));
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <div className="chips">
        {values.map((v) => (
          <span className="chip" key={v}>
            {v}
            <button type="button" aria-label={`Remove ${v}`} onClick={() => onChange(values.filter((x) => x !== v))}>
              ×
            </button>
          </span>
        ))}
        <input
          id={id}
          value={text}
          placeholder={values.length === 0 ? placeholder : ''}
          onChange={(e) => {
            setText(e.target.value);
            onQuery?.(e.target.value);
          }}
          onKeyDown={onKey}
          onBlur={() => text.trim() && add(text)}
        />
      </div>
      {open.length > 0 && (
        <div className="suggestions">
          {open.slice(0, 10).map((s) => (
            <button type="button" key={s} className="chip chip-suggest" onClick={() => add(s)}>
              + {s}
            </button>
          ))}
        </div>
      )}
    </div>
  );
}
