/** The page's entry point: mounts the playground, or the embeddable widget for `?embed=1`. */
import { mount } from 'svelte';
import { isEmbed } from './state/embed.ts';
import './ui/app.css';

// Each root is its own chunk, so a widget in an article loads no code of the full page.
const root = isEmbed(location.search)
  ? (await import('./embed/Embed.svelte')).default
  : (await import('./ui/App.svelte')).default;
mount(root, { target: document.getElementById('app')! });
