import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import 'objectdrop/react/styles.css';
import './demo.css';

const storeUrl = import.meta.env.VITE_OBJECTDROP_STORE_URL ?? 'http://127.0.0.1:8787';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App storeUrl={storeUrl} />
  </StrictMode>,
);
