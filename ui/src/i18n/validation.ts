// Validation messages in the UI's language. The forms validate with the contract's own zod
// schemas, so a message is the server's English words: either a message the contract wrote
// ("must not be empty") or zod's default for an issue code ("Too small: expected string to have
// >=1 characters" is too_small). Both kinds are mapped here — the contract's messages by their
// exact text, zod's by the shape of each code's message — so the same message reads in Arabic
// whether the browser or the server found the problem. A message not known here stays English
// (the server's words are better than a wrong guess).
import { CARD_NUMBER_MESSAGE } from '@enclave/contracts';
import type { Lang } from './i18n.tsx';

/** The contract's own messages (templates, primitives, forms), word for word. */
const AR_EXACT: Readonly<Record<string, string>> = {
  required: 'مطلوب',
  'must not be empty': 'يجب ألا يكون فارغًا',
  'needs at least one still': 'يلزم اختيار صورة ثابتة واحدة على الأقل',
  'at most 20 stills': '20 صورة ثابتة على الأكثر',
  'must be at most 120 characters': 'يجب ألا يزيد على 120 حرفًا',
  'must be at most 2,000 characters (about two minutes of speech)':
    'يجب ألا يزيد على 2000 حرف (نحو دقيقتين من الكلام)',
  'at most 255 characters': '255 حرفًا على الأكثر',
  'must be a whole number': 'يجب أن يكون عددًا صحيحًا',
  'must be an email address': 'يجب أن يكون عنوان بريد إلكتروني',
  'must be at least 12 characters': 'يجب ألا يقل عن 12 حرفًا',
  'must not contain control characters': 'يجب ألا يحتوي على محارف تحكم',
  'must be 1-64 letters, digits, "_" or "-"': 'يجب أن يكون من 1 إلى 64 حرفًا أو رقمًا أو "_" أو "-"',
  'must be 1-55 lower-case letters, digits or hyphens, not starting with a hyphen':
    'يجب أن يكون من 1 إلى 55 حرفًا لاتينيًا صغيرًا أو رقمًا أو شرطة، ولا يبدأ بشرطة',
  'must be a file name, without "/" or "\\"': 'يجب أن يكون اسم ملف، دون "/" أو "\\"',
  'must be printable ASCII without spaces (a UUID is a good key)':
    'يجب أن يكون محارف ASCII قابلة للطباعة دون مسافات (يصلح معرّف UUID مفتاحًا)',
  'must be a UAE TRN: 15 digits starting with 100': 'يجب أن يكون رقمًا ضريبيًا إماراتيًا: 15 رقمًا تبدأ بـ 100',
  'from must not be after to': 'يجب ألا يكون تاريخ البداية بعد تاريخ النهاية',
  // z.iso.datetime()'s own message (the breach form's times)
  'Invalid ISO datetime': 'تاريخ ووقت غير صالحين',
  [CARD_NUMBER_MESSAGE]:
    'يبدو أنه رقم بطاقة دفع؛ لا يجوز إدخال أرقام البطاقات هنا (الجهاز لا يقبل المدفوعات) — احذفه',
};

const AR_KIND: Readonly<Record<string, string>> = {
  string: 'نصًا',
  number: 'رقمًا',
  int: 'عددًا صحيحًا',
  boolean: 'قيمة نعم/لا',
  array: 'قائمة',
  object: 'كائنًا',
};

/** zod's default English message for each issue code, and its Arabic. */
const AR_PATTERNS: readonly (readonly [RegExp, (m: RegExpMatchArray) => string])[] = [
  // too_small / too_big on text and lists
  [/^Too small: expected string to have >=?(\d+) characters?$/, (m) => `يجب ألا يقل عن ${m[1]} حرف`],
  [/^Too big: expected string to have <=?(\d+) characters?$/, (m) => `يجب ألا يزيد على ${m[1]} حرف`],
  [/^Too small: expected array to have >=?(\d+) items?$/, (m) => `يلزم ${m[1]} عنصر على الأقل`],
  [/^Too big: expected array to have <=?(\d+) items?$/, (m) => `${m[1]} عنصر على الأكثر`],
  // too_small / too_big on numbers
  [
    /^Too small: expected (?:number|int|bigint) to be >(=?)(-?[\d.]+)$/,
    (m) => `يجب أن يكون ${m[1] ? 'أكبر من أو يساوي' : 'أكبر من'} ${m[2]}`,
  ],
  [
    /^Too big: expected (?:number|int|bigint) to be <(=?)(-?[\d.]+)$/,
    (m) => `يجب أن يكون ${m[1] ? 'أصغر من أو يساوي' : 'أصغر من'} ${m[2]}`,
  ],
  // invalid_type
  [/^Invalid input: expected (\w+), received undefined$/, () => 'مطلوب'],
  [/^Invalid input: expected (\w+), received \w+$/, (m) => `يجب أن يكون ${AR_KIND[m[1] ?? ''] ?? m[1]}`],
  // invalid_value (enums, literals)
  [/^Invalid option: expected one of (.+)$/, (m) => `يجب أن يكون أحد الخيارات: ${m[1]}`],
  [/^Invalid input: expected (.+)$/, (m) => `يجب أن يكون ${m[1]}`],
  // invalid_format
  [/^Invalid email address$/, () => 'عنوان بريد إلكتروني غير صالح'],
  [/^Invalid string: must match pattern .+$/, () => 'الصيغة غير صالحة'],
  // unrecognized_keys
  [/^Unrecognized keys?: (.+)$/, (m) => `حقل غير معروف: ${m[1]}`],
  // invalid_union and anything else zod calls plainly invalid
  [/^Invalid input$/, () => 'قيمة غير صالحة'],
];

/** A validation message (the server's or the schema's English) in the UI's language. */
export function validationText(message: string, lang: Lang): string {
  if (lang === 'en') return message;
  const exact = AR_EXACT[message];
  if (exact !== undefined) return exact;
  for (const [pattern, arabic] of AR_PATTERNS) {
    const match = message.match(pattern);
    if (match) return arabic(match);
  }
  return message;
}
