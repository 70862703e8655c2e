import { useEffect, useState, type FormEvent } from 'react';
import { token } from './api';
import { useT } from './i18n';
import { LanguageSelect } from './LanguageSelect';
import { RoomDetail } from './RoomDetail';
import { RoomsGrid } from './RoomsGrid';

/** #/ is the rooms grid, #/rooms/<id> a room. */
function useRoute(): string | null {
  const read = () => /^#\/rooms\/([A-Za-z0-9]+)$/.exec(window.location.hash)?.[1] ?? null;
  const [room, setRoom] = useState(read);
  useEffect(() => {
    const onHash = () => setRoom(read());
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);
  return room;
}

export function App() {
  const { t } = useT();
  const [signedIn, setSignedIn] = useState(token.get() !== null);
  const room = useRoute();
  const signOut = () => {
    token.clear();
    setSignedIn(false);
  };
  if (!signedIn) return <SignIn onDone={() => setSignedIn(true)} />;
  return (
    <div className="console">
      <header>
        <a href="#/" className="brand">
          Lectern <span>{t('brand.sub')}</span>
        </a>
        <div className="header-end">
          <LanguageSelect />
          <button className="link" onClick={signOut}>
            {t('signOut')}
          </button>
        </div>
      </header>
      {room ? (
        <RoomDetail id={room} onUnauthorized={signOut} />
      ) : (
        <RoomsGrid onUnauthorized={signOut} />
      )}
    </div>
  );
}

function SignIn({ onDone }: { onDone: () => void }) {
  const { t } = useT();
  const [value, setValue] = useState('');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    token.set(value.trim());
    onDone();
  };
  return (
    <form className="signin" onSubmit={submit}>
      <LanguageSelect />
      <h1>{t('signIn.title')}</h1>
      <label>
        {t('signIn.token')}
        <input
          type="password"
          autoComplete="off"
          value={value}
          onChange={(e) => setValue(e.target.value)}
          placeholder="adm_…"
          required
        />
      </label>
      <p className="hint">{t('signIn.hint')}</p>
      <button type="submit">{t('signIn.submit')}</button>
    </form>
  );
}
