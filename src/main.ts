/** The page's entry point: mounts the playground, or the embeddable widget for `?embed=1`. */
import { mount } from 'svelte';
import { prewarm } from './sim/client.ts';
import { isEmbed } from './state/embed.ts';
import './ui/app.css';

const embed = isEmbed(location.search);
// The run's worker starts loading the engine now, while the page's code loads and mounts.
prewarm(embed ? 'widget' : 'simulation');

// Each root is its own chunk, so a widget in an article loads no code of the full page.
const root = embed ? (await import('./embed/Embed.svelte')).default : (await import('./ui/App.svelte')).default;
mount(root, { target: document.getElementById('app')! });
