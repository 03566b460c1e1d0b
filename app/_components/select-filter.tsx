type TProps = {
  id: string;
  label: string;
  value: string;
  options: readonly string[];
  anyLabel: string;
  onChange: (value: string) => void;
  mono?: boolean;
};

export function SelectFilter({ id, label, value, options, anyLabel, onChange, mono }: TProps) {
  // A value from a shared link that is not (or no longer) an option stays selectable.
  const all = value && !options.includes(value) ? [value, ...options] : options;
  return (
    <div className="flex flex-col gap-0.5">
      <label htmlFor={id} className="text-xs font-medium text-muted">{label}</label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value)} className={`field pr-1 ${mono ? 'font-mono' : ''}`}>
        <option value="">{anyLabel}</option>
        {all.map((option) => (
          <option key={option} value={option}>{option}</option>
        ))}
      </select>
    </div>
  );
}
