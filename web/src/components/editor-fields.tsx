/** Small pieces of the campaign editor's form. */

/** The rule with the word at the parser's (1-based) position marked, so the eye finds it at once. */
export function RuleCaret({ rule, position }: { rule: string; position: number }) {
  const at = Math.min(Math.max(position - 1, 0), rule.length);
  const word = /^\S*/.exec(rule.slice(at))?.[0] || ' ';
  return (
    <span className="mono rule-caret" aria-hidden="true">
      {rule.slice(0, at)}
      <mark>{word}</mark>
      {rule.slice(at + word.length)}
    </span>
  );
}

export function Field({
  label,
  value,
  onChange,
  placeholder,
  multiline,
  type = 'text',
  hint,
}: {
  label: string;
  value: string;
  onChange: (v: string) => void;
  placeholder?: string;
  multiline?: boolean;
  type?: string;
  hint?: string;
}) {
  const fid = `f-${label.toLowerCase().replace(/\W+/g, '-')}`;
  return (
    <div className="field">
      <label htmlFor={fid}>{label}</label>
      {multiline ? (
        <textarea id={fid} rows={3} value={value} placeholder={placeholder} onChange={(e) => onChange(e.target.value)} />
      ) : (
        <input id={fid} type={type} value={value} placeholder={placeholder} onChange={(e) => onChange(e.target.value)} />
      )}
      {hint && <p className="hint">{hint}</p>}
    </div>
  );
}
