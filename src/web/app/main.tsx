import { render } from 'preact';
import { App } from './app';
import { readWebConfig } from './config';
import { preloadCryptoWhenIdle } from './crypto';
import './styles.css';

const root = document.getElementById('app');
if (root) {
  render(<App config={readWebConfig()} />, root);
  preloadCryptoWhenIdle();
}
