import { useEffect, useRef } from 'react';

export const SHORTCUTS: ReadonlyArray<[string, string]> = [
  ['j / k', 'Next / previous lead'],
  ['Enter', 'Open lead'],
  ['o', 'Open on Reddit'],
  ['c', 'Mark contacted'],
  ['v', 'Mark converted'],
  ['x', 'Dismiss'],
  ['g / b', 'Good / bad lead'],
  ['Space', 'Select for bulk actions'],
  ['/', 'Search'],
  ['?', 'This help'],
];

export function ShortcutsHelp({ onClose }: { onClose: () => void }) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = ref.current;
    if (d && !d.open) d.showModal();
  }, []);
  return (
    <dialog ref={ref} className="dialog" aria-labelledby="shortcuts-title" onClose={onClose}>
      <h2 id="shortcuts-title">Keyboard shortcuts</h2>
      <table className="shortcuts">
        <tbody>
          {SHORTCUTS.map(([k, v]) => (
            <tr key={k}>
              <td>
                {k.split(' / ').map((x, i) => (
                  <span key={x}>
                    {i > 0 && ' / '}
                    <kbd>{x}</kbd>
                  </span>
                ))}
              </td>
              <td>{v}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <form method="dialog">
        <button type="submit" className="btn">
          Close
        </button>
      </form>
    </dialog>
  );
}
