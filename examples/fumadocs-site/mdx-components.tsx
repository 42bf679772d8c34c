import defaultComponents from 'fumadocs-ui/mdx';
import { Tab, Tabs } from 'fumadocs-ui/components/tabs';
import { Accordion, Accordions } from 'fumadocs-ui/components/accordion';
import { File, Files, Folder } from 'fumadocs-ui/components/files';
import { CpuIcon, Database, PanelsTopLeft, Terminal } from 'lucide-react';
import type { MDXComponents } from 'mdx/types';

// `<AutoTypeTable>` is fumadocs-typescript's: it reads a TypeScript file at build time. The
// example has no `props.ts` to read; it names the type it would show.
function AutoTypeTable({ name }: { path?: string; name?: string }) {
  return <p>{name}</p>;
}

// The components the pages name: the starter's (fumadocs-ui/mdx: Card, Cards, Callout, code
// blocks, headings) and those the real Fumadocs pages of content/docs/ui/ use, as Fumadocs'
// own docs site provides them (tabs, accordions, files, lucide icons, AutoTypeTable).
export function getMDXComponents(components?: MDXComponents): MDXComponents {
  return {
    ...defaultComponents,
    Tab,
    Tabs,
    Accordion,
    Accordions,
    File,
    Files,
    Folder,
    CpuIcon,
    Database,
    PanelsTopLeft,
    Terminal,
    AutoTypeTable,
    ...components,
  };
}
