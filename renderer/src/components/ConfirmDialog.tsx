import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';

/**
 * "Are you sure?" before something that cannot be undone in the middle of a class (remove a
 * student, end the class). A modal <dialog>: focus stays inside, Escape cancels.
 */
export function ConfirmDialog({
  title,
  body,
  confirm,
  onConfirm,
  onCancel,
}: {
  title: string;
  body: string;
  confirm: string;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation();
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
  }, []);
  return (
    <dialog
      ref={ref}
      className="confirm"
      aria-labelledby="confirm-title"
      onCancel={(e) => {
        e.preventDefault();
        onCancel();
      }}
    >
      <h2 id="confirm-title">{title}</h2>
      <p>{body}</p>
      <div className="row end">
        <button className="secondary" autoFocus onClick={onCancel}>
          {t('confirm.cancel')}
        </button>
        <button className="danger" onClick={onConfirm}>
          {confirm}
        </button>
      </div>
    </dialog>
  );
}
