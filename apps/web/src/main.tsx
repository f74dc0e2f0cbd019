import '@mantine/core/styles.css';
import './app.css';
import { createRoot } from 'react-dom/client';
import './i18n';
import { Root } from './root';

createRoot(document.getElementById('root')!).render(<Root />);
