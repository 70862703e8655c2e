import { memo } from 'react';
import { useTranslation } from 'react-i18next';
import { useRoom } from '../context';
import { i18next } from '../i18n';

/** The last error code, translated. */
function ErrorLineView() {
  const { t } = useTranslation();
  const error = useRoom((s) => s.error);
  if (!error) return null;
  const key = `error.${error}`;
  return (
    <p role="alert" className="error" data-code={error}>
      {i18next.exists(key) ? t(key) : t('error.other', { code: error })}
    </p>
  );
}

/** Renders again only when what it reads changes, not with its parent view. */
export const ErrorLine = memo(ErrorLineView);
