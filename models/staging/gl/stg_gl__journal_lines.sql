with

source as (

    select * from {{ source('gl', 'journal_lines') }}

),

renamed as (

    select
        journal_id,
        line_no,
        posting_date,
        fiscal_year,
        fiscal_period,
        account,
        lower(trim(account_type)) as account_type,
        product_line,
        customer_id,
        amount,
        upper(trim(currency)) as currency,
        _landing_row,
        _landing_file

    from source

)

select * from renamed
