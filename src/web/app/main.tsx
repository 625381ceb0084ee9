import { render } from 'preact';
import { App } from './app';
import { readWebConfig } from './common/config';
import { preloadCryptoWhenIdle } from './common/crypto';
import './styles.css';

const root = document.getElementById('app');
if (root) {
  render(<App config={readWebConfig()} />, root);
  preloadCryptoWhenIdle();
}
