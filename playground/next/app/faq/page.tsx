// A reader made once, at module level: in `next dev` Next re-evaluates this module when the
// snapshot changes, so it never serves stale content (see unplugin-buttercms/next/reader).
import { createLocalButter } from 'unplugin-buttercms/next/reader';

const butter = createLocalButter(process.env.BUTTERCMS_SNAPSHOT ?? '.buttercms');

export default async function Faq() {
  const { data } = await butter.content.retrieve(['faq']);
  return (
    <>
      <h1>Frequently asked questions</h1>
      {data.data.faq.map((item) => (
        <details key={item.meta.id} open>
          <summary>{item.question}</summary>
          <div dangerouslySetInnerHTML={{ __html: item.answer }} />
        </details>
      ))}
    </>
  );
}
